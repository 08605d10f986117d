import * as assert from 'node:assert/strict'
import { ApiKey } from '../../../core/protocol/api-keys'
import { decodeResponse, encodeRequest } from '../../../core/protocol/client-codec'
import { API_DEFINITIONS } from '../../../core/protocol/registry'
import { decodeRequest, encodeResponse } from '../../../core/protocol/request'
import { randomStruct, seededRng } from './helpers/random-message'

// Every API, every version we serve, in both directions: encode random values, decode them back.
describe('core/protocol round trips (all APIs, all versions)', () => {
  for (const api of API_DEFINITIONS) {
    it(`${api.name} v${api.minVersion}-${api.maxVersion}`, () => {
      for (let version = api.minVersion; version <= api.maxVersion; version++) {
        for (let i = 0; i < 25; i++) {
          const seed = api.apiKey * 100000 + version * 1000 + i
          const rng = seededRng(seed)
          const header = { apiKey: api.apiKey as ApiKey, apiVersion: version, correlationId: seed, clientId: i % 3 === 0 ? null : `client-${i}` }
          const request = randomStruct(rng, api.request, version)
          const frame = encodeRequest(header, request as never)
          assert.equal(frame.readInt32BE(0), frame.length - 4)
          const decoded = decodeRequest(frame.subarray(4))
          assert.deepEqual(decoded.header, header, `seed ${seed}`)
          assert.deepEqual(decoded.body, request, `${api.name} v${version} request, seed ${seed}`)

          const response = randomStruct(rng, api.response, version)
          const out = encodeResponse({ apiKey: api.apiKey as ApiKey, apiVersion: version, correlationId: seed }, response as never)
          const back = decodeResponse(api.apiKey as ApiKey, version, out.subarray(4))
          assert.equal(back.correlationId, seed)
          assert.deepEqual(back.body, response, `${api.name} v${version} response, seed ${seed}`)
        }
      }
    })
  }
})
