// Every test of this assembly works against a real Azurite (the shared fixture or one it starts itself).
[assembly: AssemblyTrait(TestCategories.Name, TestCategories.Azurite)]
