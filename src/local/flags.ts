import * as Flags from '@oclif/core/flags'

/** --data-dir is shared by every `kadm local` command; KADM_LOCAL_DIR sets it too. */
export const dataDirFlag = Flags.string({
  summary: 'Directory of the local cluster (data, logs, state). Default: ~/.local/share/kadm/local, or KADM_LOCAL_DIR.',
})
