// Parameters of modules/eventgrid-subscriptions.bicep as the azd postdeploy hook deploys it
// (infra/hooks/postdeploy.sh / .ps1). azd passes the environment's values (main.bicep outputs) to hooks as
// environment variables; a missing one fails the deployment before anything is sent to Azure.
using 'modules/eventgrid-subscriptions.bicep'

param topicName = readEnvironmentVariable('WILDLONG_EVENTGRID_TOPIC_NAME')
param functionAppName = readEnvironmentVariable('AZURE_FUNCTION_APP_NAME')
param storageAccountName = readEnvironmentVariable('AZURE_STORAGE_ACCOUNT_NAME')
param deadLetterContainerName = readEnvironmentVariable('WILDLONG_EVENTGRID_DEADLETTER_CONTAINER')

// Blob-triggered functions fed by Event Grid (src/Functions/Triggers/BlobUploadFunctions.cs): container ->
// function. The containers are the defaults of WildLong.Storage.StorageContainerNames (tests/Infra.Tests checks it).
param triggers = [
  {
    container: 'queries'
    functionName: 'QueryShardUploaded'
  }
  {
    container: 'documents'
    functionName: 'DocumentUploaded'
  }
]
