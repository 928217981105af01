'use strict'
// Proves the patch in patches/dynalite+4.0.0.patch: TransactWriteItems, TransactGetItems and
// UpdateTimeToLive/DescribeTimeToLive and ClientRequestToken idempotency on the local DynamoDB emulator
// (run: node --test scripts/)
const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const dynalite = require('dynalite')
const { client, key } = require('./dynalite-client')

const TABLE = 'tally-tx-test'
let server
let endpoint
const { call, ok } = client(() => endpoint)

const getItem = async (pk, sk) => (await ok('GetItem', { TableName: TABLE, Key: key(pk, sk) })).Item
const queryGsi = async (gsiPk) => (await ok('Query', {
  TableName: TABLE,
  IndexName: 'GSI1',
  KeyConditionExpression: 'GSI1PK = :p',
  ExpressionAttributeValues: { ':p': { S: gsiPk } },
})).Items
const put = (item, extra) => ({ Put: { TableName: TABLE, Item: item, ...extra } })
const notExists = { ConditionExpression: 'attribute_not_exists(PK)' }

before(async () => {
  server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = 'http://127.0.0.1:' + server.address().port
  await ok('CreateTable', {
    TableName: TABLE,
    AttributeDefinitions: [ 'PK', 'SK', 'GSI1PK', 'GSI1SK' ].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [ { AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' } ],
    GlobalSecondaryIndexes: [ {
      IndexName: 'GSI1',
      KeySchema: [ { AttributeName: 'GSI1PK', KeyType: 'HASH' }, { AttributeName: 'GSI1SK', KeyType: 'RANGE' } ],
      Projection: { ProjectionType: 'ALL' },
    } ],
    BillingMode: 'PAY_PER_REQUEST',
  })
})

after(() => new Promise((resolve) => server.close(() => resolve())))

test('a failed condition cancels the whole transaction and nothing is written', async () => {
  await ok('PutItem', { TableName: TABLE, Item: { ...key('acct#1', 'meta'), balance: { N: '10' }, name: { S: 'old' } } })
  await ok('PutItem', { TableName: TABLE, Item: { ...key('acct#1', 'keep'), v: { N: '1' } } })

  const res = await call('TransactWriteItems', {
    ClientRequestToken: 'token-1',
    TransactItems: [
      put({ ...key('acct#1', 'new'), GSI1PK: { S: 'g#fail' }, GSI1SK: { S: '1' } }, notExists),
      {
        Update: {
          TableName: TABLE,
          Key: key('acct#1', 'meta'),
          UpdateExpression: 'SET #n = :n ADD balance :d',
          ConditionExpression: 'balance >= :min',
          ExpressionAttributeNames: { '#n': 'name' },
          ExpressionAttributeValues: { ':n': { S: 'new' }, ':d': { N: '-50' }, ':min': { N: '50' } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      { Delete: { TableName: TABLE, Key: key('acct#1', 'keep') } },
      { ConditionCheck: { TableName: TABLE, Key: key('acct#1', 'missing'), ConditionExpression: 'attribute_exists(PK)' } },
    ],
  })

  assert.equal(res.status, 400)
  assert.equal(res.body.__type, 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException')
  assert.equal(res.body.Message, 'Transaction cancelled, please refer cancellation reasons for specific reasons ' +
    '[None, ConditionalCheckFailed, None, ConditionalCheckFailed]')
  assert.deepEqual(res.body.CancellationReasons, [
    { Code: 'None' },
    { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed',
      Item: { ...key('acct#1', 'meta'), balance: { N: '10' }, name: { S: 'old' } } },
    { Code: 'None' },
    { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
  ])

  assert.equal(await getItem('acct#1', 'new'), undefined)
  assert.deepEqual(await getItem('acct#1', 'meta'), { ...key('acct#1', 'meta'), balance: { N: '10' }, name: { S: 'old' } })
  assert.deepEqual(await getItem('acct#1', 'keep'), { ...key('acct#1', 'keep'), v: { N: '1' } })
  assert.deepEqual(await queryGsi('g#fail'), [])
})

test('a mixed Put/Update/Delete/ConditionCheck transaction applies every write, indexes included', async () => {
  await ok('PutItem', { TableName: TABLE, Item: { ...key('acct#2', 'meta'), balance: { N: '5' }, tags: { SS: [ 'a', 'b' ] }, labels: { SS: [ 'x', 'y' ] }, obsolete: { S: 'o' },
    GSI1PK: { S: 'g#old' }, GSI1SK: { S: 'meta' } } })
  await ok('PutItem', { TableName: TABLE, Item: { ...key('acct#2', 'gone'), GSI1PK: { S: 'g#gone' }, GSI1SK: { S: '1' } } })
  await ok('PutItem', { TableName: TABLE, Item: { ...key('acct#2', 'lock'), open: { BOOL: true } } })

  const res = await ok('TransactWriteItems', {
    TransactItems: [
      put({ ...key('acct#2', 'entry#1'), amount: { N: '7' }, GSI1PK: { S: 'g#entries' }, GSI1SK: { S: '1' } }, notExists),
      {
        Update: {
          TableName: TABLE,
          Key: key('acct#2', 'meta'),
          UpdateExpression: 'ADD balance :d, tags :t SET GSI1PK = :g, hist = list_append(if_not_exists(hist, :e), :h), ' +
            'cnt = if_not_exists(cnt, :zero) + :one REMOVE obsolete DELETE labels :del',
          ConditionExpression: 'balance = :five',
          ExpressionAttributeValues: { ':d': { N: '7' }, ':t': { SS: [ 'c' ] }, ':g': { S: 'g#new' }, ':e': { L: [] },
            ':h': { L: [ { N: '7' } ] }, ':zero': { N: '0' }, ':one': { N: '1' }, ':five': { N: '5' }, ':del': { SS: [ 'x' ] } },
        },
      },
      { Delete: { TableName: TABLE, Key: key('acct#2', 'gone'), ConditionExpression: 'attribute_exists(PK)' } },
      { ConditionCheck: { TableName: TABLE, Key: key('acct#2', 'lock'), ConditionExpression: '#o = :t',
        ExpressionAttributeNames: { '#o': 'open' }, ExpressionAttributeValues: { ':t': { BOOL: true } } } },
    ],
  })
  assert.deepEqual(res, {})

  const meta = await getItem('acct#2', 'meta')
  assert.equal(meta.balance.N, '12')
  assert.deepEqual(meta.tags.SS.sort(), [ 'a', 'b', 'c' ])
  assert.deepEqual(meta.labels, { SS: [ 'y' ] })
  assert.equal(meta.obsolete, undefined)
  assert.deepEqual(meta.hist, { L: [ { N: '7' } ] })
  assert.deepEqual(meta.cnt, { N: '1' })
  assert.equal((await getItem('acct#2', 'entry#1')).amount.N, '7')
  assert.equal(await getItem('acct#2', 'gone'), undefined)
  assert.deepEqual(await getItem('acct#2', 'lock'), { ...key('acct#2', 'lock'), open: { BOOL: true } })

  // the GSI follows the transactional writes: new entry, moved key, deleted entry
  assert.deepEqual((await queryGsi('g#entries')).map((item) => item.SK.S), [ 'entry#1' ])
  assert.deepEqual((await queryGsi('g#new')).map((item) => item.balance.N), [ '12' ])
  assert.deepEqual(await queryGsi('g#old'), [])
  assert.deepEqual(await queryGsi('g#gone'), [])
})

test('an update expression that cannot apply cancels with a ValidationError reason', async () => {
  await ok('PutItem', { TableName: TABLE, Item: { ...key('acct#3', 'meta'), label: { S: 'text' } } })
  const res = await call('TransactWriteItems', { TransactItems: [
    put({ ...key('acct#3', 'other') }),
    { Update: { TableName: TABLE, Key: key('acct#3', 'meta'), UpdateExpression: 'ADD label :one',
      ExpressionAttributeValues: { ':one': { N: '1' } } } },
  ] })
  assert.equal(res.status, 400)
  assert.equal(res.body.__type, 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException')
  assert.deepEqual(res.body.CancellationReasons.map((reason) => reason.Code), [ 'None', 'ValidationError' ])
  assert.equal(await getItem('acct#3', 'other'), undefined)
})

test('a full transaction writes all of its items and index entries, or none of them', async () => {
  const items = Array.from({ length: 98 }, (_, i) => ({ ...key('all#' + i, 'meta'), GSI1PK: { S: 'g#all' }, GSI1SK: { S: String(i).padStart(2, '0') } }))
  await ok('PutItem', { TableName: TABLE, Item: { ...key('all', 'ctr'), n: { N: '0' }, GSI1PK: { S: 'g#ctr0' }, GSI1SK: { S: '0' } } })
  const counter = () => ({ Update: { TableName: TABLE, Key: key('all', 'ctr'), UpdateExpression: 'ADD n :one SET GSI1PK = :g',
    ExpressionAttributeValues: { ':one': { N: '1' }, ':g': { S: 'g#ctr1' } } } })

  // the last action fails: none of the 98 puts, the update or their index entries are written
  let res = await call('TransactWriteItems', { TransactItems: [
    ...items.map((item) => put(item, notExists)),
    counter(),
    { ConditionCheck: { TableName: TABLE, Key: key('all', 'absent'), ConditionExpression: 'attribute_exists(PK)' } },
  ] })
  assert.equal(res.status, 400)
  assert.deepEqual(res.body.CancellationReasons.map((reason) => reason.Code), [ ...Array(99).fill('None'), 'ConditionalCheckFailed' ])
  assert.equal(await getItem('all#0', 'meta'), undefined)
  assert.equal(await getItem('all#97', 'meta'), undefined)
  assert.deepEqual(await queryGsi('g#all'), [])
  assert.equal((await getItem('all', 'ctr')).n.N, '0')
  assert.equal((await queryGsi('g#ctr0')).length, 1)

  res = await ok('TransactWriteItems', { TransactItems: [
    ...items.map((item) => put(item, notExists)),
    counter(),
    { Delete: { TableName: TABLE, Key: key('all', 'absent') } },
  ] })
  assert.deepEqual(res, {})
  for (const item of items) assert.deepEqual(await getItem(item.PK.S, 'meta'), item)
  assert.deepEqual((await queryGsi('g#all')).map((item) => item.PK.S), items.map((item) => item.PK.S))
  assert.equal((await getItem('all', 'ctr')).n.N, '1')
  assert.deepEqual(await queryGsi('g#ctr0'), [])
  assert.deepEqual((await queryGsi('g#ctr1')).map((item) => item.n.N), [ '1' ])
})

test('invalid transactions are rejected with ValidationException', async () => {
  const many = Array.from({ length: 101 }, (_, i) => put({ ...key('bulk', String(i)) }))
  let res = await call('TransactWriteItems', { TransactItems: many })
  assert.equal(res.status, 400)
  assert.equal(res.body.__type, 'com.amazon.coral.validate#ValidationException')
  assert.match(res.body.message, /Member must have length less than or equal to 100/)

  res = await call('TransactWriteItems', { TransactItems: [] })
  assert.equal(res.body.__type, 'com.amazon.coral.validate#ValidationException')
  assert.match(res.body.message, /Member must have length greater than or equal to 1/)

  res = await call('TransactWriteItems', { TransactItems: [
    put({ ...key('dup', '1'), v: { N: '1' } }),
    { Update: { TableName: TABLE, Key: key('dup', '1'), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } } },
  ] })
  assert.equal(res.status, 400)
  assert.equal(res.body.__type, 'com.amazon.coral.validate#ValidationException')
  assert.equal(res.body.message, 'Transaction request cannot include multiple operations on one item')
  assert.equal(await getItem('dup', '1'), undefined)

  res = await call('TransactWriteItems', { TransactItems: [
    { Put: { TableName: TABLE, Item: key('x', '1') }, Delete: { TableName: TABLE, Key: key('x', '2') } } ] })
  assert.equal(res.body.message, 'TransactItems can only contain one of Check, Put, Update or Delete')

  res = await call('TransactWriteItems', { TransactItems: [ { ConditionCheck: { TableName: TABLE, Key: key('x', '1') } } ] })
  assert.equal(res.body.__type, 'com.amazon.coral.validate#ValidationException')
  assert.match(res.body.message, /transactItems\.1\.member\.conditionCheck\.conditionExpression/)

  res = await call('TransactWriteItems', { TransactItems: [ put({ PK: { S: 'no-sort-key' } }) ] })
  assert.equal(res.body.__type, 'com.amazon.coral.validate#ValidationException')

  res = await call('TransactWriteItems', { TransactItems: [ put(key('x', '1'), { ConditionExpression: 'attribute_not_exists(' }) ] })
  assert.equal(res.body.__type, 'com.amazon.coral.validate#ValidationException')
  assert.match(res.body.message, /Invalid ConditionExpression/)

  res = await call('TransactWriteItems', { TransactItems: [ { Put: { TableName: 'no-such-table', Item: key('x', '1') } } ] })
  assert.equal(res.body.__type, 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException')

  // 100 actions is the limit and is accepted
  await ok('TransactWriteItems', { TransactItems: many.slice(0, 100) })
  assert.ok(await getItem('bulk', '99'))
})

test('TransactGetItems answers in request order, {} for missing items, with projections', async () => {
  await ok('PutItem', { TableName: TABLE, Item: { ...key('get', 'a'), v: { N: '1' }, secret: { S: 's' } } })
  await ok('PutItem', { TableName: TABLE, Item: { ...key('get', 'b'), v: { N: '2' } } })
  const res = await ok('TransactGetItems', { TransactItems: [
    { Get: { TableName: TABLE, Key: key('get', 'b') } },
    { Get: { TableName: TABLE, Key: key('get', 'missing') } },
    { Get: { TableName: TABLE, Key: key('get', 'a'), ProjectionExpression: '#v, SK', ExpressionAttributeNames: { '#v': 'v' } } },
  ] })
  assert.deepEqual(res.Responses, [
    { Item: { ...key('get', 'b'), v: { N: '2' } } },
    {},
    { Item: { SK: { S: 'a' }, v: { N: '1' } } },
  ])

  const tooMany = await call('TransactGetItems', { TransactItems: Array.from({ length: 101 },
    (_, i) => ({ Get: { TableName: TABLE, Key: key('get', String(i)) } })) })
  assert.equal(tooMany.body.__type, 'com.amazon.coral.validate#ValidationException')
})

test('UpdateTimeToLive is accepted and DescribeTimeToLive reports it', async () => {
  assert.deepEqual(await ok('DescribeTimeToLive', { TableName: TABLE }), { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } })
  const spec = { AttributeName: 'expiresAt', Enabled: true }
  assert.deepEqual(await ok('UpdateTimeToLive', { TableName: TABLE, TimeToLiveSpecification: spec }), { TimeToLiveSpecification: spec })
  assert.deepEqual(await ok('DescribeTimeToLive', { TableName: TABLE }),
    { TimeToLiveDescription: { AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' } })
  const missing = await call('UpdateTimeToLive', { TableName: TABLE, TimeToLiveSpecification: { AttributeName: 'x' } })
  assert.equal(missing.body.__type, 'com.amazon.coral.validate#ValidationException')
})

test('concurrent conflicting transactions never corrupt state', async (t) => {
  await ok('PutItem', { TableName: TABLE, Item: { ...key('ctr', 'counter'), n: { N: '0' } } })
  const attempts = 20
  const results = await Promise.all(Array.from({ length: attempts }, (_, i) => call('TransactWriteItems', { TransactItems: [
    { Update: { TableName: TABLE, Key: key('ctr', 'counter'), UpdateExpression: 'ADD n :one',
      ConditionExpression: 'n < :max', ExpressionAttributeValues: { ':one': { N: '1' }, ':max': { N: '1000' } } } },
    put({ ...key('ctr', 'log#' + String(i).padStart(2, '0')), GSI1PK: { S: 'g#ctr' }, GSI1SK: { S: String(i) } }, notExists),
  ] })))

  const succeeded = results.filter((res) => res.status == 200).length
  for (const res of results.filter((res) => res.status != 200)) {
    assert.equal(res.body.__type, 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException', JSON.stringify(res.body))
    assert.ok(res.body.CancellationReasons.some((reason) => reason.Code == 'TransactionConflict' &&
      reason.Message == 'Transaction is ongoing for the item'), JSON.stringify(res.body))
  }
  assert.ok(succeeded >= 1)
  assert.equal((await getItem('ctr', 'counter')).n.N, String(succeeded))
  assert.equal((await queryGsi('g#ctr')).length, succeeded)

  // run sequentially, every one of them succeeds and the counter keeps exact count
  for (let i = 0; i < 5; i++) {
    await ok('TransactWriteItems', { TransactItems: [ { Update: { TableName: TABLE, Key: key('ctr', 'counter'),
      UpdateExpression: 'ADD n :one', ConditionExpression: 'n < :max',
      ExpressionAttributeValues: { ':one': { N: '1' }, ':max': { N: '1000' } } } } ] })
  }
  assert.equal((await getItem('ctr', 'counter')).n.N, String(succeeded + 5))
  t.diagnostic(`concurrent: ${succeeded}/${attempts} transactions succeeded, the rest were cancelled with TransactionConflict`)
})

test('a ClientRequestToken that applied a transaction answers success again without applying it twice', async () => {
  await ok('PutItem', { TableName: TABLE, Item: { ...key('tok', 'stats'), n: { N: '0' } } })
  const request = (token, amount) => ({ ClientRequestToken: token, TransactItems: [
    put({ ...key('tok', 'entry-' + token) }, notExists),
    { Update: { TableName: TABLE, Key: key('tok', 'stats'), UpdateExpression: 'ADD n :d',
      ExpressionAttributeValues: { ':d': { N: String(amount) } } } },
  ] })

  assert.deepEqual(await ok('TransactWriteItems', request('retried-1', 5)), {})
  // the SDK's retry of a request whose answer was lost: same token, same request
  assert.deepEqual(await ok('TransactWriteItems', request('retried-1', 5)), {})
  assert.equal((await getItem('tok', 'stats')).n.N, '5')

  const mismatch = await call('TransactWriteItems', request('retried-1', 6))
  assert.equal(mismatch.status, 400)
  assert.equal(mismatch.body.__type, 'com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException')
  assert.equal((await getItem('tok', 'stats')).n.N, '5')

  // without a token the same request is a new one: its condition now fails
  const again = await call('TransactWriteItems', { TransactItems: request('retried-1', 5).TransactItems })
  assert.equal(again.body.__type, 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException')
  assert.equal((await getItem('tok', 'stats')).n.N, '5')
})

test('a cancelled transaction records no token: the same token applies once its conditions hold', async () => {
  const request = { ClientRequestToken: 'after-cancel', TransactItems: [
    { ConditionCheck: { TableName: TABLE, Key: key('tok2', 'gate'), ConditionExpression: 'attribute_exists(PK)' } },
    { Update: { TableName: TABLE, Key: key('tok2', 'stats'), UpdateExpression: 'ADD n :one',
      ExpressionAttributeValues: { ':one': { N: '1' } } } },
  ] }
  const cancelled = await call('TransactWriteItems', request)
  assert.equal(cancelled.body.__type, 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException')
  await ok('PutItem', { TableName: TABLE, Item: key('tok2', 'gate') })
  await ok('TransactWriteItems', request)
  await ok('TransactWriteItems', request)
  assert.equal((await getItem('tok2', 'stats')).n.N, '1')
})

test('the same token sent twice at once applies once; the second waits its turn or is told it is in progress', async () => {
  const request = { ClientRequestToken: 'twice-at-once', TransactItems: Array.from({ length: 50 }, (_, i) =>
    ({ Update: { TableName: TABLE, Key: key('tok3', 'item-' + i), UpdateExpression: 'ADD n :one',
      ExpressionAttributeValues: { ':one': { N: '1' } } } })) }
  const results = await Promise.all([ call('TransactWriteItems', request), call('TransactWriteItems', request) ])
  for (const res of results) {
    assert.ok(res.status == 200 || res.body.__type == 'com.amazonaws.dynamodb.v20120810#TransactionInProgressException',
      JSON.stringify(res.body))
  }
  assert.ok(results.some((res) => res.status == 200))
  assert.equal((await getItem('tok3', 'item-0')).n.N, '1')
  assert.equal((await getItem('tok3', 'item-49')).n.N, '1')
})
