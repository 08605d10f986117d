import { strict as assert } from 'node:assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parseProperties, propertiesToObject } from '../../../config'
import { parseYamlSubset, type YamlValue } from './fixtures/yaml-subset'

// dist/test/connectors/distributed -> repository root.
const ROOT = path.resolve(__dirname, '..', '..', '..', '..')
type Map_ = { [key: string]: YamlValue }
const obj = (v: YamlValue | undefined, what: string): Map_ => {
  assert.ok(v !== undefined && typeof v === 'object' && !Array.isArray(v), `${what} is a mapping`)
  return v as Map_
}
const list = (v: YamlValue | undefined, what: string): string[] => {
  assert.ok(Array.isArray(v) && v.every((x) => typeof x === 'string'), `${what} is a list of strings`)
  return v as string[]
}

/** The subcommands bin/godwit.ts dispatches to (read from its table; importing it would run the CLI). */
function godwitSubcommands(): string[] {
  const text = fs.readFileSync(path.join(ROOT, 'bin', 'godwit.ts'), 'utf8')
  return [...text.matchAll(/^\s+'([a-z-]+)': \(\) =>/gm)].map((m) => m[1]!)
}

describe('docker-compose.yml (distributed MM2 demo)', () => {
  const compose = obj(parseYamlSubset(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')), 'the file')
  const services = obj(compose['services'], 'services')
  const godwit = Object.entries(services).filter(([, s]) => String(obj(s, 'service')['image'] ?? '').startsWith('godwit'))

  it('parses as YAML and has two KRaft Kafka clusters, Redis, three Godwit workers and Prometheus', () => {
    const kafkas = Object.entries(services).filter(([, s]) => String(obj(s, 'service')['image']).startsWith('apache/kafka:'))
    assert.equal(kafkas.length, 2)
    for (const [name, s] of kafkas) {
      const env = obj(obj(s, name)['environment'], `${name}.environment`)
      assert.match(String(env['KAFKA_PROCESS_ROLES']), /controller/, `${name} runs in KRaft mode`)
      assert.match(String(env['KAFKA_CONTROLLER_QUORUM_VOTERS']), new RegExp(`@${name}:9093$`))
      assert.match(String(env['KAFKA_ADVERTISED_LISTENERS']), new RegExp(`PLAINTEXT://${name}:9092`))
    }
    const ids = kafkas.map(([n, s]) => String(obj(obj(s, n)['environment'], n)['CLUSTER_ID']))
    assert.notEqual(ids[0], ids[1], 'two distinct clusters')
    assert.ok(!Object.keys(services).some((n) => /zookeeper/i.test(n)))
    assert.match(String(obj(services['redis'], 'redis')['image']), /^redis:/)
    assert.equal(godwit.length, 3)
    assert.match(String(obj(services['prometheus'], 'prometheus')['image']), /^prom\/prometheus:/)
    for (const [name, s] of Object.entries(services)) {
      for (const dep of Object.keys(obj(obj(s, name)['depends_on'] ?? {}, `${name}.depends_on`))) assert.ok(dep in services, `${name} depends on existing ${dep}`)
    }
  })

  it('runs an existing godwit subcommand in every Godwit service, with config files that exist in the repo', () => {
    const subcommands = godwitSubcommands()
    assert.ok(subcommands.includes('mirror') && subcommands.includes('connect-distributed'), subcommands.join(','))
    for (const [name, s] of godwit) {
      const svc = obj(s, name)
      const command = list(svc['command'], `${name}.command`)
      assert.ok(subcommands.includes(command[0]!), `${name}: "${command[0]}" is a godwit subcommand`)
      assert.ok(command.includes('--distributed'), `${name} runs in distributed mode`)
      const mounts = new Map(list(svc['volumes'], `${name}.volumes`).map((v) => {
        const [src, dst] = v.split(':')
        return [dst!, src!] as const
      }))
      for (const [dst, src] of mounts) assert.ok(fs.existsSync(path.join(ROOT, src)), `${name}: ${src} exists in the repo`)
      for (const arg of command.filter((a) => a.startsWith('/'))) assert.ok(mounts.has(arg), `${name}: ${arg} is mounted from the repo`)
      const build = svc['build'] === undefined ? undefined : obj(svc['build'], `${name}.build`)
      if (build !== undefined) assert.ok(fs.existsSync(path.join(ROOT, String(build['context']), String(build['dockerfile']))))
    }
  })

  it('points the mirror flow at the two clusters and Redis, and Prometheus at every worker\'s REST port', () => {
    const [, first] = godwit[0]!
    const mount = list(obj(first, 'godwit')['volumes'], 'volumes')[0]!.split(':')[0]!
    const mm2 = propertiesToObject(parseProperties(fs.readFileSync(path.join(ROOT, mount), 'utf8')))
    const aliases = mm2['clusters']!.split(',').map((s) => s.trim())
    assert.equal(aliases.length, 2)
    const kafkaHosts = aliases.map((a) => mm2[`${a}.bootstrap.servers`]!.split(':')[0]!)
    for (const h of kafkaHosts) assert.ok(h in services && String(obj(services[h], h)['image']).startsWith('apache/kafka'), `${h} is a Kafka service`)
    assert.equal(mm2[`${aliases[0]}->${aliases[1]}.enabled`], 'true')
    assert.equal(new URL(mm2['redis.url']!).hostname, 'redis')
    assert.ok(mm2['group.id'] !== undefined && mm2['group.id'] !== '')
    const port = new URL(mm2['listeners']!).port

    const prom = obj(services['prometheus'], 'prometheus')
    const promMount = list(prom['volumes'], 'prometheus.volumes')[0]!.split(':')[0]!
    const promCfg = obj(parseYamlSubset(fs.readFileSync(path.join(ROOT, promMount), 'utf8')), 'prometheus.yml')
    const jobs = promCfg['scrape_configs'] as YamlValue[]
    const targets = jobs.flatMap((j) => (obj(j, 'job')['static_configs'] as YamlValue[]).flatMap((sc) => list(obj(sc, 'static_config')['targets'], 'targets')))
    assert.deepEqual(targets.sort(), godwit.map(([n]) => `${n}:${port}`).sort())
  })

  it('the YAML subset parser refuses what it does not understand', () => {
    assert.throws(() => parseYamlSubset('a: &x 1\n'), /outside the supported YAML subset/)
    assert.throws(() => parseYamlSubset('a: 1\na: 2\n'), /duplicate key/)
    assert.deepEqual(parseYamlSubset('a:\n  - x\n  - k: v\n    j: "w # no comment"\nb: [1, "2"] # c\n'), { a: ['x', { k: 'v', j: 'w # no comment' }], b: ['1', '2'] })
  })
})
