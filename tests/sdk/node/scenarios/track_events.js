// customerio-node: an event for a person, and a page view.
module.exports = async ({ id, track }) => {
  await track.identify(id, { plan: 'free' })
  await track.track(id, { name: 'Order Completed', data: { total: 42.5 } })
  return track.trackPageView(id, '/pricing')
}
