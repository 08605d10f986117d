// Kafka Connect's REST routes, each a thin call into the Herder.
import type { IncomingMessage } from 'node:http'
import type { ConnectorProps } from '../api'
import type { ConnectorOffsets, Herder } from '../runtime/herder'
import type { TargetState } from '../storage'
import { HttpError, readJson } from './http-util'

export interface RouteResult {
  status: number
  body?: unknown
  /** Raw text responses (GET /metrics). */
  text?: { contentType: string; body: string }
}

export interface RouteContext {
  herder: Herder
  params: string[]
  query: URLSearchParams
  req: IncomingMessage
}

type Handler = (ctx: RouteContext) => Promise<RouteResult>

interface Route {
  method: string
  pattern: RegExp
  handler: Handler
}

const NAME = '([^/]+)'
const ID = '(-?\\d+)'
const r = (method: string, path: string, handler: Handler): Route => ({ method, pattern: new RegExp(`^${path}/?$`), handler })

const ok = (body: unknown, status = 200): RouteResult => ({ status, body })

export const VERSION = '0.1.0'

function asConfig(body: unknown, what: string): ConnectorProps {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, `${what} must be a JSON object of string values`)
  const out: ConnectorProps = {}
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (v === null || typeof v === 'object') throw new HttpError(400, `${what}: value of ${k} must be a string, got ${JSON.stringify(v)}`)
    out[k] = String(v)
  }
  return out
}

function taskId(s: string): number {
  return Number(s)
}

const INITIAL_STATES = new Set(['RUNNING', 'PAUSED', 'STOPPED'])

export const routes: Route[] = [
  r('GET', '', async ({ herder }) => ok({ version: VERSION, commit: process.env.GODWIT_COMMIT ?? 'unknown', kafka_cluster_id: await herder.kafkaClusterId().catch(() => null) })),
  r('GET', '/metrics', async ({ herder }) => ({ status: 200, text: await herder.metrics() })),
  r('GET', '/connectors', async ({ herder, query }) => {
    const names = await herder.connectors()
    const expand = query.getAll('expand').flatMap((e) => e.split(','))
    if (expand.length === 0) return ok(names)
    const out: Record<string, Record<string, unknown>> = {}
    for (const n of names) {
      out[n] = {}
      if (expand.includes('status')) out[n].status = await herder.connectorStatus(n)
      if (expand.includes('info')) out[n].info = await herder.connectorInfo(n)
    }
    return ok(out)
  }),
  r('POST', '/connectors', async ({ herder, req }) => {
    const body = (await readJson(req)) as { name?: unknown; config?: unknown; initial_state?: unknown } | undefined
    if (body === undefined || typeof body !== 'object' || body === null) throw new HttpError(400, 'Request body must be {"name": ..., "config": {...}}')
    const config = asConfig(body.config ?? {}, 'config')
    const name = typeof body.name === 'string' ? body.name : config.name
    if (typeof name !== 'string' || name.trim() === '') throw new HttpError(400, 'Connector name must be given (body.name or config.name)')
    if (config.name !== undefined && config.name !== name) throw new HttpError(400, `Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`)
    const initial = body.initial_state === undefined ? 'RUNNING' : String(body.initial_state).toUpperCase()
    if (!INITIAL_STATES.has(initial)) throw new HttpError(400, `initial_state must be RUNNING, PAUSED or STOPPED, got ${JSON.stringify(body.initial_state)}`)
    const state: TargetState = initial === 'RUNNING' ? 'STARTED' : (initial as TargetState)
    const { info } = await herder.putConnectorConfig(name, config, { allowReplace: false, initialState: state })
    return ok(info, 201)
  }),
  r('GET', `/connectors/${NAME}`, async ({ herder, params }) => ok(await herder.connectorInfo(params[0]))),
  r('DELETE', `/connectors/${NAME}`, async ({ herder, params }) => { await herder.deleteConnector(params[0]); return { status: 204 } }),
  r('GET', `/connectors/${NAME}/config`, async ({ herder, params }) => ok(await herder.connectorConfig(params[0]))),
  r('PUT', `/connectors/${NAME}/config`, async ({ herder, params, req }) => {
    const config = asConfig(await readJson(req), 'config')
    if (config.name !== undefined && config.name !== params[0]) throw new HttpError(400, `Connector name configuration (${config.name}) doesn't match connector name in the URL (${params[0]})`)
    const { created, info } = await herder.putConnectorConfig(params[0], config, { allowReplace: true })
    return ok(info, created ? 201 : 200)
  }),
  r('PATCH', `/connectors/${NAME}/config`, async ({ herder, params, req }) => {
    const body = await readJson(req)
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'PATCH body must be a JSON object (null values remove keys)')
    const patch: Record<string, string | null> = {}
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) patch[k] = v === null ? null : String(v)
    if (patch.name !== undefined && patch.name !== params[0]) throw new HttpError(400, 'Connector name cannot be changed by PATCH')
    return ok(await herder.patchConnectorConfig(params[0], patch))
  }),
  r('GET', `/connectors/${NAME}/status`, async ({ herder, params }) => ok(await herder.connectorStatus(params[0]))),
  r('GET', `/connectors/${NAME}/tasks`, async ({ herder, params }) => ok(await herder.taskConfigs(params[0]))),
  r('GET', `/connectors/${NAME}/tasks/${ID}/status`, async ({ herder, params }) => ok(await herder.taskStatus(params[0], taskId(params[1])))),
  r('POST', `/connectors/${NAME}/tasks/${ID}/restart`, async ({ herder, params }) => { await herder.restartTask(params[0], taskId(params[1])); return { status: 204 } }),
  r('PUT', `/connectors/${NAME}/pause`, async ({ herder, params }) => { await herder.pauseConnector(params[0]); return { status: 202 } }),
  r('PUT', `/connectors/${NAME}/resume`, async ({ herder, params }) => { await herder.resumeConnector(params[0]); return { status: 202 } }),
  r('PUT', `/connectors/${NAME}/stop`, async ({ herder, params }) => { await herder.stopConnector(params[0]); return { status: 204 } }),
  r('POST', `/connectors/${NAME}/restart`, async ({ herder, params, query }) => {
    const includeTasks = query.get('includeTasks') === 'true'
    const onlyFailed = query.get('onlyFailed') === 'true'
    const result = await herder.restartConnector(params[0], { includeTasks, onlyFailed })
    return result === undefined ? { status: 204 } : ok(result, 202)
  }),
  r('GET', `/connectors/${NAME}/offsets`, async ({ herder, params }) => ok(await herder.connectorOffsets(params[0]))),
  r('PATCH', `/connectors/${NAME}/offsets`, async ({ herder, params, req }) => {
    const body = (await readJson(req)) as ConnectorOffsets | undefined
    if (body === undefined || !Array.isArray(body.offsets)) throw new HttpError(400, 'Request body must be {"offsets": [{"partition": {...}, "offset": {...} | null}]}')
    await herder.alterConnectorOffsets(params[0], body)
    return ok({ message: 'The offsets for this connector have been altered successfully' })
  }),
  r('DELETE', `/connectors/${NAME}/offsets`, async ({ herder, params }) => {
    await herder.resetConnectorOffsets(params[0])
    return ok({ message: 'The offsets for this connector have been reset successfully' })
  }),
  r('GET', '/connector-plugins', async ({ herder }) => ok(herder.plugins())),
  r('PUT', `/connector-plugins/${NAME}/config/validate`, async ({ herder, params, req }) => {
    const config = asConfig(await readJson(req) ?? {}, 'config')
    if (config['connector.class'] !== undefined && config['connector.class'] !== params[0]) {
      // Connect accepts aliases on either side as long as they name the same plugin.
      const plugins = herder.plugins().map((p) => p.class)
      const same = (a: string, b: string): boolean => plugins.some((p) => matches(p, a) && matches(p, b))
      if (!same(config['connector.class'], params[0])) throw new HttpError(400, `Included connector type ${config['connector.class']} does not match request type ${params[0]}`)
    }
    return ok(await herder.validateConnectorConfig({ ...config, 'connector.class': config['connector.class'] ?? params[0] }))
  }),
]

function matches(className: string, alias: string): boolean {
  const simple = className.slice(className.lastIndexOf('.') + 1)
  return alias === className || alias === simple || alias === simple.replace(/Connector$/, '')
}

/** Finds the route; 404 for unknown paths, 405 when only the method is wrong. */
export function match(method: string, path: string): { route: Route; params: string[] } | { status: 404 | 405 } {
  let pathMatched = false
  for (const route of routes) {
    const m = route.pattern.exec(path)
    if (m === null) continue
    pathMatched = true
    if (route.method === method) return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) }
  }
  return { status: pathMatched ? 405 : 404 }
}
