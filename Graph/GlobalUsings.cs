global using StaticGraph.Ops;
