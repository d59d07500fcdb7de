import {access} from 'node:fs/promises'

/** Whether a file or directory is there (and reachable). */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}
