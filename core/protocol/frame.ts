// Splits a TCP byte stream into Kafka frames (int32 size + that many bytes). A frame that lies in
// one socket chunk is returned as a view of it; one spread over chunks is assembled once.
import { InvalidFrameSizeError } from './errors'

/** Kafka's socket.request.max.bytes default. */
export const DEFAULT_MAX_FRAME_BYTES = 104857600

export class FrameDecoder {
  private maxFrameBytes: number
  /** The setting the limit comes from, for the error message. */
  private limitName = 'socket.request.max.bytes'
  private pending: Buffer[] = []
  private pendingBytes = 0
  /** Size of the frame being assembled, once its 4-byte prefix has arrived. */
  private expected = -1

  constructor(opts: { maxFrameBytes?: number } = {}) {
    this.maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES
  }

  /** Changes the largest frame accepted from now on (e.g. a lower bound until a client authenticates). */
  setMaxFrameBytes(bytes: number, limitName: string): void {
    this.maxFrameBytes = bytes
    this.limitName = limitName
  }

  /** Bytes received but not yet returned as frames. */
  get bufferedBytes(): number {
    return this.pendingBytes
  }

  /**
   * Feeds one socket chunk; returns every frame it completes (without size prefixes). Throws
   * InvalidFrameSizeError on a negative or oversized declared size: the stream is then unusable.
   */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = []
    let buf = chunk
    if (this.pendingBytes > 0) {
      this.pending.push(chunk)
      this.pendingBytes += chunk.length
      if (!this.ready()) return frames
      buf = Buffer.concat(this.pending, this.pendingBytes)
      this.pending = []
      this.pendingBytes = 0
    }
    let at = 0
    while (buf.length - at >= 4) {
      const size = this.checkSize(buf.readInt32BE(at))
      if (buf.length - at - 4 < size) break
      frames.push(buf.subarray(at + 4, at + 4 + size))
      at += 4 + size
      this.expected = -1
    }
    if (at < buf.length) {
      this.pending = [buf.subarray(at)]
      this.pendingBytes = buf.length - at
      if (this.pendingBytes >= 4) this.expected = buf.readInt32BE(at)
    }
    return frames
  }

  /** Generator form of push. */
  *feed(chunk: Buffer): Generator<Buffer> {
    yield* this.push(chunk)
  }

  /** True once the pending chunks hold at least one whole frame (size known and met). */
  private ready(): boolean {
    if (this.expected < 0) {
      if (this.pendingBytes < 4) return false
      const head = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes)
      if (this.pending.length > 1) this.pending = [head]
      this.expected = this.checkSize(head.readInt32BE(0))
    }
    return this.pendingBytes >= 4 + this.expected
  }

  private checkSize(size: number): number {
    if (size < 0) throw new InvalidFrameSizeError(`frame declares a negative size (${size})`)
    if (size > this.maxFrameBytes) {
      throw new InvalidFrameSizeError(`frame of ${size} bytes exceeds ${this.limitName} (${this.maxFrameBytes})`)
    }
    return size
  }
}
