namespace StaticGraph; internal static class PlaceholderCudnn { }
