using WildLong.Cli;

return await WildLongCommandLine.Create().Parse(args).InvokeAsync();
