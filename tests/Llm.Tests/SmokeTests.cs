namespace WildLong.Llm.Tests; public class LlmSmokeTests { [Fact] public void Builds() => Assert.True(typeof(WildLong.Core.Llm.LlmCaller).Assembly is not null); }
