import * as assert from 'node:assert/strict'
import { ErrorCode, errorName, isRetriableCode } from '../../../core/protocol/error-codes'

// kafkajs still uses the pre-KIP names for these codes.
const OLD_NAMES: Record<string, string> = {
  UNKNOWN: 'UNKNOWN_SERVER_ERROR', NOT_LEADER_FOR_PARTITION: 'NOT_LEADER_OR_FOLLOWER', GROUP_LOAD_IN_PROGRESS: 'COORDINATOR_LOAD_IN_PROGRESS',
  GROUP_COORDINATOR_NOT_AVAILABLE: 'COORDINATOR_NOT_AVAILABLE', NOT_COORDINATOR_FOR_GROUP: 'NOT_COORDINATOR',
}
const kafkajsErrors: { type: string; code: number; retriable: boolean }[] = require('kafkajs/src/protocol/error').errorCodes

describe('core/protocol/error-codes', () => {
  it('maps names to codes and back', () => {
    assert.equal(ErrorCode.NONE, 0)
    assert.equal(ErrorCode.UNSUPPORTED_VERSION, 35)
    assert.equal(errorName(3), 'UNKNOWN_TOPIC_OR_PARTITION')
    assert.equal(errorName(9999), 'UNKNOWN_ERROR_9999')
    assert.equal(new Set(Object.values(ErrorCode)).size, Object.keys(ErrorCode).length, 'codes are unique')
  })

  it('agrees with kafkajs on every code both define (name and retriable flag)', () => {
    let compared = 0
    for (const e of kafkajsErrors) {
      if (errorName(e.code).startsWith('UNKNOWN_ERROR_')) continue
      compared++
      assert.equal(errorName(e.code), OLD_NAMES[e.type] ?? e.type, `code ${e.code}`)
      assert.equal(isRetriableCode(e.code), e.retriable, `${e.type} retriable`)
    }
    assert.ok(compared > 80, `${compared} codes compared`)
  })
})
