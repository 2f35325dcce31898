namespace StaticGraph; internal static class PlaceholderModels { }
