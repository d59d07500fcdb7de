/**
 * Exits once everything written to stdout and stderr has reached the OS: writes to a full pipe
 * are queued, and a bare process.exit() would cut the output short.
 */
export async function exitAfterFlush(code: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => {
    stream.write('', () => resolve())
  })))
  process.exit(code)
}
