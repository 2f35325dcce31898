global using StaticGraph.Backend;
global using StaticGraph.Ops;
