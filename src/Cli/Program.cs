using WildLong.Cli;

return await WildLongCommandLine.InvokeAsync(args);
