namespace StaticGraph; internal static class PlaceholderData { }
