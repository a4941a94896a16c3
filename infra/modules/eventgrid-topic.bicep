// Event Grid system topic on the storage account: the source of the BlobCreated events that start extraction when
// query shards or documents are uploaded. Created on every provision; its subscriptions come later
// (eventgrid-subscriptions.bicep) because they need the app's blobs_extension key.

@description('System topic name.')
param name string

@description('Region (the storage account\'s).')
param location string

@description('Resource tags.')
param tags object

@description('Resource id of the storage account that emits the events.')
param storageAccountId string

resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: name
  location: location
  tags: tags
  properties: {
    source: storageAccountId
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = topic.name
output id string = topic.id
