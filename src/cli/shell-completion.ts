// `stripe-sql completion bash|zsh`: scripts that complete the command's options, formats,
// profile names (asked of `stripe-sql profiles --names`, so no key is read) and file names.
//   bash: source <(npx stripe-sql completion bash)      zsh: source <(npx stripe-sql completion zsh)
import { OUTPUT_FORMATS } from './format.js';

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

const OPTIONS = [
  '--demo', '--api-key', '--account', '--base-url', '--profile', '--command', '--file', '--output', '--format',
  '--idempotency-key', '--explain', '--quiet', '--cache', '--offline', '--cache-tolerance', '--help', '--version',
];
const COMMANDS = ['emulator', 'serve', 'sync', 'profiles', 'completion'];

export function completionScript(shell: Shell): string {
  return shell === 'bash' ? bash() : zsh();
}

function bash(): string {
  return `# stripe-sql completion for bash: source <(stripe-sql completion bash)
_stripe_sql() {
  local cur prev
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    --format) COMPREPLY=( $(compgen -W "${OUTPUT_FORMATS.join(' ')}" -- "$cur") ); return ;;
    --profile) COMPREPLY=( $(compgen -W "$(\${COMP_WORDS[0]} profiles --names 2>/dev/null)" -- "$cur") ); return ;;
    -f|--file|-o|--output|--cache) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
    completion) COMPREPLY=( $(compgen -W "bash zsh" -- "$cur") ); return ;;
    --api-key|--account|--base-url|-c|--command|--idempotency-key|--cache-tolerance) return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "${OPTIONS.join(' ')}" -- "$cur") )
  elif [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "${COMMANDS.join(' ')}" -- "$cur") )
  fi
}
complete -F _stripe_sql stripe-sql
`;
}

function zsh(): string {
  return `#compdef stripe-sql
# stripe-sql completion for zsh: source <(stripe-sql completion zsh)
_stripe_sql_profiles() {
  local -a names
  names=(\${(f)"$(\${words[1]} profiles --names 2>/dev/null)"})
  _describe 'profile' names
}
_stripe_sql() {
  _arguments -s \\
    '1:command:(${COMMANDS.join(' ')})' \\
    '--demo[query the built-in demo data]' \\
    '--api-key[Stripe secret key]:key:' \\
    '--account[connected account]:account:' \\
    '--base-url[API base URL]:url:' \\
    '--profile[a profile of the config file]:profile:_stripe_sql_profiles' \\
    '*'{-c,--command}'[run these statements]:sql:' \\
    '*'{-f,--file}'[run the statements in a file]:file:_files' \\
    '(-o --output)'{-o,--output}'[write results to a file]:file:_files' \\
    '--format[output format]:format:(${OUTPUT_FORMATS.join(' ')})' \\
    '--idempotency-key[prefix of the writes'"'"' idempotency keys]:prefix:' \\
    '--explain[print the plan without running it]' \\
    '(-q --quiet)'{-q,--quiet}'[no status line]' \\
    '--cache[a replica to read from]:file:_files' \\
    '--offline[read only the replica]' \\
    '--cache-tolerance[seconds a replica table may lag]:seconds:' \\
    '(-h --help)'{-h,--help}'[usage]' \\
    '(-v --version)'{-v,--version}'[version]'
}
compdef _stripe_sql stripe-sql
`;
}
