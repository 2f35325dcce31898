namespace StaticGraph; internal static class PlaceholderGraph { }
