-- One session as the JSON object `export.session_facts` makes (same keys, same order),
-- for `ls --json` over many sessions without a Python object each.
to_json({
    'id': id, 'source': source, 'role': role, 'project': project, 'path': path,
    'title': title, 'started': started, 'ended': ended, 'records': records,
    'malformed_lines': malformed_lines, 'subagent_malformed_lines': sub_malformed_lines,
    'entries': entries, 'tool_calls': tool_calls,
    'errors': errors, 'subagents': subagents, 'models': coalesce(models, []),
    'tokens': {'input': t_input, 'output': t_output, 'cache_read': t_cache_read,
               'cache_creation': t_cache_creation},
    'subagent_tokens': {'input': sub_input, 'output': sub_output,
                        'cache_read': sub_cache_read, 'cache_creation': sub_cache_creation},
    'git_branch': git_branch, 'parent_id': parent_id, 'size': size,
    'kinds': {'prompt': n_prompt, 'assistant': n_assistant, 'thinking': n_thinking,
              'tool_call': n_tool_call, 'tool_result': n_tool_result, 'error': n_error,
              'system': n_system, 'other': n_other},
    'incomplete_tail': coalesce(incomplete_tail, false),
    'bad_numbers': coalesce(bad_numbers, 0),
    'replayed_records': coalesce(replayed, 0)
})
