// APIClient with a wrong App key; the SDK must report the 401 and its message.
module.exports = ({ id, apiWith }) => apiWith('not-the-key').getCustomersByEmail(`${id}@example.com`)
