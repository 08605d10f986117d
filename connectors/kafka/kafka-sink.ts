// KafkaSink: writes the records a sink task consumes into another Kafka cluster (target
// bootstrap servers in its config), keeping key, value, headers, timestamp and, by default, the
// partition number. Writes are idempotent with acks=all and complete inside put(), so committed
// offsets never run ahead of the target cluster.
import { CompressionTypes, Kafka, logLevel, type Message, type Producer } from 'kafkajs'
import { defineConfig, nonEmpty, oneOf } from '../../config'
import { SinkConnector, SinkTask, type ConnectorProps, type SinkRecord } from '../api'
import { registerKafkajsCodecs } from './codecs'
import { toKafkaHeaders } from './headers'

export const KafkaSinkConfigDef = defineConfig('KafkaSink connector', {
  'target.bootstrap.servers': { type: 'list', required: true, validate: nonEmpty, doc: 'Brokers (host:port) of the cluster to write to.', importance: 'high' },
  'target.topic.format': { type: 'string', default: '${topic}', doc: 'Name of the target topic; ${topic} is replaced by the source topic.' },
  'target.client.id': { type: 'string', default: 'godwit-kafka-sink', doc: 'kafkajs client id on the target cluster.' },
  'preserve.partitions': { type: 'boolean', default: true, doc: 'Write each record to the same partition number it was read from (else the producer partitions by key).' },
  'compression.type': { type: 'string', default: 'none', validate: oneOf('none', 'gzip', 'snappy', 'lz4', 'zstd'), doc: 'Compression of the batches written to the target.' },
})

export class KafkaSinkConnector extends SinkConnector {
  private props: ConnectorProps = {}
  config() { return KafkaSinkConfigDef }
  start(props: ConnectorProps): void { this.props = { ...props } }
  taskClass() { return KafkaSinkTask }
  taskConfigs(maxTasks: number): ConnectorProps[] { return Array.from({ length: maxTasks }, () => ({ ...this.props })) }
  stop(): void {}
}

const CODECS: Record<string, CompressionTypes> = {
  none: CompressionTypes.None, gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy, lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD,
}

export class KafkaSinkTask extends SinkTask {
  private producer: Producer | undefined
  private format = '${topic}'
  private preserve = true
  private compression = CompressionTypes.None

  async start(props: ConnectorProps): Promise<void> {
    registerKafkajsCodecs()
    const cfg = KafkaSinkConfigDef.parse(props, { allowUnknown: true })
    this.format = cfg['target.topic.format']
    this.preserve = cfg['preserve.partitions']
    this.compression = CODECS[cfg['compression.type']]
    const kafka = new Kafka({ clientId: cfg['target.client.id'], brokers: cfg['target.bootstrap.servers'], logLevel: logLevel.NOTHING })
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 5 } })
    await this.producer.connect()
  }

  async put(records: SinkRecord[]): Promise<void> {
    if (records.length === 0) return
    const byTopic = new Map<string, Message[]>()
    for (const r of records) {
      let list = byTopic.get(r.topic)
      if (list === undefined) byTopic.set(r.topic, (list = []))
      const m: Message = { key: r.key, value: r.value, timestamp: String(r.timestamp) }
      if (this.preserve) m.partition = r.partition
      const headers = toKafkaHeaders(r.headers)
      if (headers !== undefined) m.headers = headers
      list.push(m)
    }
    await this.producer!.sendBatch({ acks: -1, compression: this.compression, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic: this.targetTopic(topic), messages })) })
  }

  private readonly targets = new Map<string, string>()

  private targetTopic(topic: string): string {
    let t = this.targets.get(topic)
    if (t === undefined) this.targets.set(topic, (t = this.format.replace(/\$\{topic\}/g, topic)))
    return t
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect()
  }
}
