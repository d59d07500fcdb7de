import {closeSync, constants, fstatSync, openSync} from 'node:fs'

/* eslint-disable @typescript-eslint/no-explicit-any -- Node's internal bindings have no types */

/**
 * Calls `onGone` once the reader of stdout has gone away (`kadm console consume T | head -1` after
 * head exited), even while kadm has nothing to write: GNU `tail -f` polls stdout for POLLERR for
 * this, and Node has no poll(). libuv does watch a stream's fd with epoll while it reads from it,
 * and epoll reports EPOLLERR on a pipe's write end once the pipe's last reader closed (a socket
 * reports end of file). Returns a function that stops watching. Nothing happens for a terminal or
 * a file.
 *
 * This is the one place in kadm that uses Node internals, and how depends on what stdout is:
 * - A pipe (a shell's `|`): stdout's own handle cannot read (libuv marks a write-only fd as not
 *   readable: readStart() answers ENOTCONN). So kadm opens the same pipe a second time, write-only
 *   (/proc/self/fd/1; this adds a writer, not a reader), and reads from that fd through a libuv TCP
 *   handle (process.binding('tcp_wrap')), the one stream handle libuv opens without checking the
 *   access mode. The read fails (EBADF) exactly when epoll reports EPOLLERR, that is when the
 *   reader has gone.
 * - A socket (the stdio 'pipe' of a Node parent is a socketpair): stdout's own handle can read;
 *   its read ends (end of file or an error, taken from streamBaseState) when the other end closes.
 * test/integration/console-output.test.ts fails when either stops working (checked on Node 20, 22
 * and 24).
 */
export function watchStdoutReader(onGone: () => void): () => void {
  if (process.platform !== 'linux') return () => {}
  let stat
  try {
    stat = fstatSync(1)
  } catch {
    return () => {}
  }
  if (stat.isFIFO()) return watchPipe(onGone)
  if (stat.isSocket()) return watchSocket(onGone)
  return () => {}
}

function watchPipe(onGone: () => void): () => void {
  let fd: number
  try {
    fd = openSync('/proc/self/fd/1', constants.O_WRONLY | constants.O_NONBLOCK)
  } catch {
    return () => {}
  }
  const {TCP, constants: tcp} = (process as any).binding('tcp_wrap')
  const handle = new TCP(tcp.SOCKET)
  if (handle.open(fd) !== 0) {
    closeSync(fd)
    return () => {}
  }
  let open = true
  // The handle's close closes fd.
  const stop = () => {
    if (!open) return
    open = false
    handle.readStop()
    handle.close()
  }
  // A write-only fd has nothing to read: any callback is the read failing because the reader left.
  handle.onread = () => {
    stop()
    onGone()
  }
  if (handle.readStart() !== 0) stop()
  else handle.unref()
  return stop
}

function watchSocket(onGone: () => void): () => void {
  const handle = (process.stdout as any)._handle
  const {streamBaseState, kReadBytesOrError} = (process as any).binding('stream_wrap')
  if (!handle?.readStart || !streamBaseState) return () => {}
  const original = handle.onread
  let watching = true
  const stop = () => {
    if (!watching) return
    watching = false
    handle.readStop()
    handle.onread = original
  }
  handle.onread = () => {
    // Bytes someone wrote into kadm's stdout are not for kadm: dropped.
    if (streamBaseState[kReadBytesOrError] > 0) return
    stop()
    onGone()
  }
  if (handle.readStart() !== 0) stop()
  return stop
}
