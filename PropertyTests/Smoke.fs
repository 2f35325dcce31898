module Smoke

open FsCheck.Xunit

[<Property>]
let ``reversing a list twice gives the list`` (xs: int list) = List.rev (List.rev xs) = xs
