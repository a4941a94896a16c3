// Event Grid subscriptions delivering BlobCreated in a container to a blob-triggered function (Source =
// EventGrid) through the blob extension webhook. The webhook needs the host's blobs_extension system key, which
// exists only once the code with blob triggers is deployed, so main.bicep deploys this module only when
// deployEventGridSubscriptions is true (second `azd provision`, see README.md).

@description('Name of the storage account\'s Event Grid system topic.')
param topicName string

@description('Function app that receives the events.')
param functionAppName string

@description('Container -> function pairs: { container: string, functionName: string }.')
param triggers triggerRoute[]

@description('A container whose BlobCreated events go to one blob-triggered function.')
type triggerRoute = {
  @description('Blob container name.')
  container: string
  @description('Function name as declared in src/Functions ([Function("...")]).')
  functionName: string
}

resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' existing = {
  name: topicName
}

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

// The host's keys (Microsoft.Web/sites/host has no Bicep type definitions, so the key is listed by id).
var blobsExtensionKey = listKeys('${app.id}/host/default', app.apiVersion).systemKeys.blobs_extension

resource subscriptions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = [
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
        maxDeliveryAttempts: 30
        eventTimeToLiveInMinutes: 1440
      }
    }
  }
]

output names string[] = [for (route, i) in triggers: subscriptions[i].name]
