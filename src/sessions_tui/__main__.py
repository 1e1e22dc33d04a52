from sessions_tui.cli import main

raise SystemExit(main())
