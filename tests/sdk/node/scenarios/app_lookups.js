// APIClient customer lookups: by email, and a person's attributes by id and by email.
module.exports = async ({ id, track, api, sdk }) => {
  const email = `${id}@example.com`
  await track.identify(id, { email, plan: 'pro' })
  return {
    byEmail: await api.getCustomersByEmail(email),
    attributes: await api.getAttributes(id),
    attributesByEmail: await api.getAttributes(email, sdk.IdentifierType.Email),
  }
}
