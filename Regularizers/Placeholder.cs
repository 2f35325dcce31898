namespace StaticGraph; internal static class PlaceholderRegularizers { }
