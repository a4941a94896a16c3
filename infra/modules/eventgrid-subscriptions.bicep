// Event Grid subscriptions delivering BlobCreated in a container to a blob-triggered function (Source =
// EventGrid) through the blob extension webhook, dead-lettering what cannot be delivered to a blob container.
//
// Not part of main.bicep: the webhook needs the host's blobs_extension system key, which exists only once the code
// with blob triggers runs. The azd postdeploy hook (infra/hooks/postdeploy.sh / .ps1) waits for that key after
// every `azd deploy` / `azd up` and deploys this module at resource-group scope with
// infra/eventgrid-subscriptions.bicepparam, so one `azd up` wires everything. The key is read here (listKeys) and
// never passes through the hook's command line or logs.

@description('Name of the storage account\'s Event Grid system topic (main.bicep output WILDLONG_EVENTGRID_TOPIC_NAME).')
param topicName string

@description('Function app that receives the events (main.bicep output AZURE_FUNCTION_APP_NAME).')
param functionAppName string

@description('Storage account holding the dead-letter container (main.bicep output AZURE_STORAGE_ACCOUNT_NAME).')
param storageAccountName string

@description('Container that receives events Event Grid gave up on; the topic\'s identity may write to it (eventgrid-topic.bicep).')
param deadLetterContainerName string

@description('Container -> function pairs.')
param triggers triggerRoute[]

@minValue(1)
@maxValue(30)
@description('Delivery attempts before an event is dead-lettered.')
param maxDeliveryAttempts int = 30

@minValue(1)
@maxValue(1440)
@description('Minutes Event Grid keeps retrying an event before it is dead-lettered.')
param eventTimeToLiveInMinutes int = 1440

@description('A container whose BlobCreated events go to one blob-triggered function.')
type triggerRoute = {
  @description('Blob container name.')
  container: string
  @description('Function name as declared in src/Functions ([Function("...")]).')
  functionName: string
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: topicName
}

resource app 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

resource storage 'Microsoft.Storage/storageAccounts@2026-09-01' existing = {
  name: storageAccountName
}

// The host's keys (Microsoft.Web/sites/host has no Bicep type definitions, so the key is listed by id).
var blobsExtensionKey = listKeys('${app.id}/host/default', app.apiVersion).systemKeys.blobs_extension

resource subscriptions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = [
  for route in triggers: {
    parent: topic
    name: '${route.container}-blob-created'
    properties: {
      destination: {
        endpointType: 'WebHook'
        properties: {
          endpointUrl: 'https://${app.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${route.functionName}&code=${blobsExtensionKey}'
          maxEventsPerBatch: 1
          preferredBatchSizeInKilobytes: 64
        }
      }
      eventDeliverySchema: 'EventGridSchema'
      filter: {
        includedEventTypes: [
          'Microsoft.Storage.BlobCreated'
        ]
        subjectBeginsWith: '/blobServices/default/containers/${route.container}/blobs/'
      }
      retryPolicy: {
        maxDeliveryAttempts: maxDeliveryAttempts
        eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
      }
      // Shared keys are off on the account, so Event Grid writes dead letters with the topic's system identity.
      deadLetterWithResourceIdentity: {
        identity: {
          type: 'SystemAssigned'
        }
        deadLetterDestination: {
          endpointType: 'StorageBlob'
          properties: {
            resourceId: storage.id
            blobContainerName: deadLetterContainerName
          }
        }
      }
    }
  }
]

output names string[] = [for (route, i) in triggers: subscriptions[i].name]
