namespace WildLong.Storage.Tests; public class StorageSmokeTests { [Fact] public void Builds() => Assert.True(typeof(WildLong.Core.Llm.LlmCaller).Assembly is not null); }
