'use strict'
// A bare DynamoDB JSON client for the dynalite patch tests: dynalite checks only that a SigV4-shaped Authorization
// header and a date are present.
const assert = require('node:assert/strict')

function client (endpoint) {
  async function call (operation, body) {
    const res = await fetch(endpoint(), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'DynamoDB_20120810.' + operation,
        'X-Amz-Date': '20240101T000000Z',
        Authorization: 'AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, ' +
          'SignedHeaders=host;x-amz-date;x-amz-target, Signature=0',
      },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: await res.json() }
  }

  async function ok (operation, body) {
    const res = await call(operation, body)
    assert.equal(res.status, 200, operation + ' failed: ' + JSON.stringify(res.body))
    return res.body
  }

  return { call, ok }
}

const key = (pk, sk) => ({ PK: { S: pk }, SK: { S: sk } })

module.exports = { client, key }
