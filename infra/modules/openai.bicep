// Azure OpenAI account (Entra ID only: local keys disabled) with the one model deployment the pipeline calls.
// Only deployed when main.bicep's existingOpenAiEndpoint is empty.

@description('Account name; also its custom subdomain (endpoint https://NAME.openai.azure.com/).')
param name string

@description('Region; must offer the model with GlobalStandard.')
param location string

@description('Resource tags.')
param tags {
  *: string
}

@description('Deployment name the app calls.')
param deploymentName string

@description('Model name.')
param modelName string

@description('Model version.')
param modelVersion string

@minValue(1)
@description('GlobalStandard capacity in thousands of tokens per minute.')
param capacity int

@description('Principal id of the app identity.')
param identityPrincipalId string

@description('Object id of the deploying user; empty grants nothing.')
param userPrincipalId string = ''

@description('Kind of principal behind userPrincipalId.')
param userPrincipalType string = 'User'

// Cognitive Services OpenAI User: call deployments, nothing else.
var openAiUserRoleId = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource account 'Microsoft.CognitiveServices/accounts@2026-09-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource deployment 'Microsoft.CognitiveServices/accounts/deployments@2026-09-01' = {
  parent: account
  name: deploymentName
  sku: {
    name: 'GlobalStandard'
    capacity: capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: modelName
      version: modelVersion
    }
  }
}

resource appRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identityPrincipalId, openAiUserRoleId)
  scope: account
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', openAiUserRoleId)
  }
}

resource userRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(account.id, userPrincipalId, openAiUserRoleId)
  scope: account
  properties: {
    principalId: userPrincipalId
    principalType: userPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', openAiUserRoleId)
  }
}

output endpoint string = account.properties.endpoint
output name string = account.name
output deploymentName string = deployment.name
