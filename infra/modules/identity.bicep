// The one user-assigned identity the function app uses for storage, the model, deployment and telemetry.
// User-assigned (not system-assigned) so role assignments exist before the app and survive its re-creation.

@description('Identity name.')
param name string

@description('Region.')
param location string

@description('Resource tags.')
param tags {
  *: string
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
