/**
 * What oclif's logger gets instead of the `debug` package (see startupRewrites in
 * esbuild.config.mjs). oclif makes its loggers at start-up, and loading `debug` loads
 * supports-color and tty with it on every kadm run, while a logger prints only when DEBUG is set.
 * Here the real package is loaded, and the namespace's logger made, the first time a logger is
 * called with DEBUG set; without DEBUG a call does nothing, as the real logger would.
 */
type Log = (formatter: unknown, ...args: unknown[]) => void

export default function createDebug(namespace: string): Log {
  let real: Log | undefined
  return (formatter, ...args) => {
    if (!process.env.DEBUG) return
    real ??= (require('debug') as (namespace: string) => Log)(namespace)
    real(formatter, ...args)
  }
}
