// Event Grid system topic on the storage account: the source of the BlobCreated events that start extraction when
// query shards or documents are uploaded. Its subscriptions come after the code is deployed
// (eventgrid-subscriptions.bicep, deployed by the azd postdeploy hook) because they need the app's blobs_extension
// key. The topic's system identity writes undeliverable events to the dead-letter container (shared keys are off).

@description('System topic name.')
param name string

@description('Region (the storage account\'s).')
param location string

@description('Resource tags.')
param tags {
  *: string
}

@description('Name of the storage account that emits the events and holds the dead-letter container.')
param storageAccountName string

@description('Blob container receiving dead-lettered events (created by storage.bicep).')
param deadLetterContainerName string

// Storage Blob Data Contributor: write dead-lettered events.
var blobDataContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource storage 'Microsoft.Storage/storageAccounts@2026-09-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource deadLetterContainer 'containers' existing = {
      name: deadLetterContainerName
    }
  }
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

// Scoped to the dead-letter container only: the topic's identity can write nowhere else.
resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::deadLetterContainer.id, topic.id, blobDataContributorRoleId)
  scope: storage::blobService::deadLetterContainer
  properties: {
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributorRoleId)
  }
}

output name string = topic.name
output id string = topic.id
output principalId string = topic.identity.principalId
