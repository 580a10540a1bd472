// customerio-node: a push metric through trackPush, and a delivery metric through the SDK's own
// request object (the SDK has no method for /api/v1/metrics).
module.exports = async ({ id, track }) => {
  await track.trackPush({ delivery_id: `${id}-delivery`, event: 'opened', device_id: `${id}-token`, timestamp: 1700000000 })
  return track.request.post(`${track.trackRoot}/metrics`, {
    delivery_id: `${id}-delivery`,
    metric: 'clicked',
    timestamp: 1700000060,
    href: 'https://example.com/offer',
  })
}
