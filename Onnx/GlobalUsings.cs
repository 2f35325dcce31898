global using global::Onnx;
global using StaticGraph.Ops;
