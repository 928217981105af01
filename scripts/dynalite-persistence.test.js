'use strict'
// Proves that dynalite's on-disk store works here (classic-level's native module, installed by `npm ci`) and that a
// transaction and its ClientRequestToken survive a restart together: the retry of a transaction whose answer was
// lost in the restart applies nothing twice (run: node --test scripts/)
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const dynalite = require('dynalite')
const { client, key } = require('./dynalite-client')

const TABLE = 'tally-persist-test'
let endpoint
const { call, ok } = client(() => endpoint)

async function start (dir) {
  const server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = 'http://127.0.0.1:' + server.address().port
  return server
}

const stop = (server) => new Promise((resolve, reject) => server.close((err) => err ? reject(err) : resolve()))

test('items, statistics and request tokens are on disk after a restart', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dynalite-persist-'))
  let server
  try {
    server = await start(dir)
    await ok('CreateTable', {
      TableName: TABLE,
      AttributeDefinitions: [ 'PK', 'SK' ].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [ { AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' } ],
      BillingMode: 'PAY_PER_REQUEST',
    })
    const request = { ClientRequestToken: 'before-restart', TransactItems: [
      { Put: { TableName: TABLE, Item: { ...key('u', 'tx-1'), amt: { N: '250' } }, ConditionExpression: 'attribute_not_exists(PK)' } },
      { Update: { TableName: TABLE, Key: key('u', 'stats'), UpdateExpression: 'ADD #sum :a',
        ExpressionAttributeNames: { '#sum': 'sum' }, ExpressionAttributeValues: { ':a': { N: '250' } } } },
    ] }
    await ok('TransactWriteItems', request)
    await stop(server)
    server = null

    server = await start(dir)
    assert.ok(fs.readdirSync(dir).includes('CURRENT'), 'a LevelDB store on disk')
    assert.deepEqual(await ok('TransactWriteItems', request), {})
    const stats = await ok('GetItem', { TableName: TABLE, Key: key('u', 'stats') })
    assert.equal(stats.Item.sum.N, '250')
    const other = await call('TransactWriteItems', { ...request, TransactItems: request.TransactItems.slice(1) })
    assert.equal(other.body.__type, 'com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException')
  } finally {
    if (server) await stop(server)
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
