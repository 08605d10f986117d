// What `godwit start` prints once everything runs: where the clusters listen and how to try it.

export function describeDemo(endpoints: { alias: string; host: string; port: number }[], flows: string[], dataDir: string): string {
  const hp = (e: { host: string; port: number }): string => `${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`
  const width = Math.max(...endpoints.map((e) => e.alias.length))
  const lines = ['', 'Godwit is running.', '']
  for (const e of endpoints) lines.push(`  ${e.alias.padEnd(width)}  Kafka cluster on ${hp(e)}`)
  lines.push('', `  replicating: ${flows.length === 0 ? '(no enabled flows)' : flows.join(', ')}`, `  data:        ${dataDir}`, '')
  const [src, dst] = [endpoints[0], endpoints[1] ?? endpoints[0]]
  const flow = flows[0]?.split('->')
  if (flow !== undefined && flow.length === 2) {
    const from = endpoints.find((e) => e.alias === flow[0]) ?? src
    const to = endpoints.find((e) => e.alias === flow[1]) ?? dst
    lines.push(
      'Try it with any Kafka client. With kcat:',
      ...aligned([
        [`echo "hello godwit" | kcat -b ${hp(from)} -P -t orders`, `write to ${from.alias}`],
        [`kcat -b ${hp(to)} -C -t ${from.alias}.orders -e`, `the copy, on ${to.alias}`],
        [`kcat -b ${hp(to)} -C -t heartbeats -e`, `heartbeats from ${from.alias}`],
      ], '#'),
      '',
      'With kafkajs:',
      ...aligned([
        [`new Kafka({ brokers: ['${hp(from)}'] }).producer()`, `write to ${from.alias}`],
        [`new Kafka({ brokers: ['${hp(to)}'] }).consumer(...)`, `read ${from.alias}.<topic> on ${to.alias}`],
      ], '//'),
      '',
    )
  }
  lines.push('Ctrl-C stops it; data is kept for the next start.', '')
  return lines.join('\n')
}

/** Commands with their comments lined up in one column. */
function aligned(rows: [command: string, comment: string][], marker: string): string[] {
  const width = Math.max(...rows.map(([c]) => c.length))
  return rows.map(([c, comment]) => `  ${c.padEnd(width)}  ${marker} ${comment}`)
}
