// The SCRAM server against RFC 7677's SCRAM-SHA-256 example exchange (golden messages).
import assert from 'node:assert/strict'
import { ScramServer, scramCredential } from '../../../../core/server/security/scram'

const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64')
const credential = scramCredential('SCRAM-SHA-256', 'pencil', salt, 4096)
const server = (): ScramServer => new ScramServer('SCRAM-SHA-256', (u) => (u === 'user' ? credential : undefined), () => '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0')
const text = (b: Buffer): string => b.toString('utf8')

describe('core/server/security scram', () => {
  it('answers RFC 7677\'s client messages with its server messages, byte for byte', () => {
    const s = server()
    const first = s.step(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'))
    assert.equal(first.kind, 'continue')
    assert.equal(text((first as { reply: Buffer }).reply), 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096')
    const final = s.step(Buffer.from('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='))
    assert.deepEqual(final.kind === 'done' ? [final.user, text(final.reply)] : final, ['user', 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='])
  })

  it('refuses a wrong proof, a changed nonce, an unknown user and channel binding, each with its reason', () => {
    const wrongProof = server()
    wrongProof.step(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'))
    assert.deepEqual(wrongProof.step(Buffer.from('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=AAAAZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=')),
      { kind: 'failed', message: 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256' })
    const otherNonce = server()
    otherNonce.step(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'))
    assert.match((otherNonce.step(Buffer.from('c=biws,r=rOprNGfwEbeRWgbNEkqO-other,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=')) as { message: string }).message, /nonce does not match/)
    assert.equal(server().step(Buffer.from('n,,n=nobody,r=abc')).kind, 'failed')
    assert.match((server().step(Buffer.from('p=tls-unique,,n=user,r=abc')) as { message: string }).message, /channel binding is not supported/)
  })
})
