namespace WildLong.Core.Tests; public class SmokeTests { [Fact] public void Taxonomy_loads() => Assert.Contains("legal_contract", WildLong.Core.Documents.DocumentTaxonomy.Default.Names); }
