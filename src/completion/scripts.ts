/**
 * The completion scripts `kadm completion bash|zsh|fish` prints. Each asks `kadm __complete` for
 * the candidates of the word under the cursor (src/completion/complete.ts), passing the words
 * typed after `kadm`; answers are `value<TAB>description` lines (zsh and fish show descriptions),
 * or the line `:files` where a path goes (the shell completes file names itself).
 */
export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

const BASH = `# kadm completion for bash (kadm completion bash)
_kadm_complete() {
  local cur words cword
  if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
    _get_comp_words_by_ref -n =: cur words cword
  else
    words=("\${COMP_WORDS[@]}"); cword=$COMP_CWORD; cur="\${COMP_WORDS[COMP_CWORD]}"
  fi
  local IFS=$'\\n'
  local -a found
  found=($(command kadm __complete bash -- "\${words[@]:1:cword}" 2>/dev/null))
  COMPREPLY=()
  # A path: bash's own file name completion.
  if [[ "\${found[0]}" == ":files" ]]; then compopt -o default 2>/dev/null; return 0; fi
  # bash replaces only what follows the last = or : of the word (COMP_WORDBREAKS).
  local typed="\${COMP_WORDS[COMP_CWORD]}" strip=""
  case "$cur" in *[=:]*) [[ "$typed" == "$cur" ]] || strip="\${cur%"$typed"}";; esac
  local value
  for value in "\${found[@]}"; do COMPREPLY+=("\${value#"$strip"}"); done
  if [[ \${#COMPREPLY[@]} -eq 1 && "\${COMPREPLY[0]}" == *= ]]; then compopt -o nospace 2>/dev/null; fi
  return 0
}
complete -F _kadm_complete kadm
`

const ZSH = `#compdef kadm
# kadm completion for zsh (kadm completion zsh)
_kadm() {
  local -a lines described assigned
  local line value
  lines=("\${(@f)$(command kadm __complete zsh -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ "\${lines[1]}" == ":files" ]]; then _files; return; fi
  for line in "\${lines[@]}"; do
    [[ -z "$line" ]] && continue
    value="\${line%%$'\\t'*}"
    value="\${value//:/\\\\:}"
    if [[ "$line" == *$'\\t'* ]]; then value="$value:\${line#*$'\\t'}"; fi
    if [[ "\${line%%$'\\t'*}" == *= ]]; then assigned+=("$value"); else described+=("$value"); fi
  done
  (( \${#assigned} )) && _describe -t kadm-keys 'kadm' assigned -S ''
  (( \${#described} )) && _describe -t kadm 'kadm' described
  return 0
}
if [[ "\${funcstack[1]}" == _kadm ]]; then _kadm "$@"; else compdef _kadm kadm; fi
`

const FISH = `# kadm completion for fish (kadm completion fish)
function __kadm_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l found (command kadm __complete fish -- $words[2..-1] 2>/dev/null)
    if test "$found[1]" = ":files"
        __fish_complete_path (commandline -ct)
    else
        printf '%s\n' $found
    end
end
complete -c kadm -f -a '(__kadm_complete)'
`

export function completionScript(shell: Shell): string {
  return {bash: BASH, zsh: ZSH, fish: FISH}[shell]
}
