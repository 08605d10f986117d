// Runs `node dist/bin/godwit.js connect-distributed worker.properties` as a child process and
// reports its REST URL and worker id (printed on stdout at start).
import { spawnGodwit, type WorkerProcess } from '../../integration/standalone-process'

export { writeProps } from '../../integration/standalone-process'

export interface DistributedProcess extends WorkerProcess {
  url: string
  workerId: string
}

export async function spawnDistributed(files: string[], timeoutMs = 20000): Promise<DistributedProcess> {
  const proc = await spawnGodwit(['connect-distributed', ...files], /worker (\S+) of group \S+, REST API on (http:\/\/\S+)/, timeoutMs)
  return { child: proc.child, output: proc.output, exited: proc.exited, workerId: proc.started[1]!, url: proc.started[2]! }
}
