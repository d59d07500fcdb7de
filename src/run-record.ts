/** Which command this process ran (oclif id, "" for none, e.g. --version): the bundle loader keys its code cache on it. */
export const runRecord = {command: ''}
