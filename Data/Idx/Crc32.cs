namespace StaticGraph.Data;

/// <summary>
/// The CRC-32 of gzip (IEEE 802.3, reflected polynomial 0xEDB88320), computed eight bytes at a time
/// ("slicing by 8") so that checking a 47 MB dataset costs a few tens of milliseconds.
/// </summary>
internal static class Crc32
{
    private const uint Polynomial = 0xEDB88320u;

    // Tables[k][b] is the CRC contribution of byte b followed by k zero bytes.
    private static readonly uint[][] Tables = BuildTables();

    /// <summary>The starting value to pass to the first <see cref="Append"/>.</summary>
    public const uint Initial = 0xFFFFFFFFu;

    /// <summary>Turns a running value into the published checksum.</summary>
    public static uint Finish(uint running) => running ^ 0xFFFFFFFFu;

    /// <summary>Extends a running value (start from <see cref="Initial"/>) with <paramref name="bytes"/>.</summary>
    public static uint Append(uint running, ReadOnlySpan<byte> bytes)
    {
        uint[] t0 = Tables[0], t1 = Tables[1], t2 = Tables[2], t3 = Tables[3];
        uint[] t4 = Tables[4], t5 = Tables[5], t6 = Tables[6], t7 = Tables[7];
        uint crc = running;
        while (bytes.Length >= 8)
        {
            crc ^= (uint)(bytes[0] | bytes[1] << 8 | bytes[2] << 16 | bytes[3] << 24);
            crc = t7[crc & 0xFF] ^ t6[(crc >> 8) & 0xFF] ^ t5[(crc >> 16) & 0xFF] ^ t4[crc >> 24]
                ^ t3[bytes[4]] ^ t2[bytes[5]] ^ t1[bytes[6]] ^ t0[bytes[7]];
            bytes = bytes[8..];
        }
        foreach (byte b in bytes)
            crc = t0[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[][] BuildTables()
    {
        var tables = new uint[8][];
        tables[0] = new uint[256];
        for (uint b = 0; b < 256; b++)
        {
            uint crc = b;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
            tables[0][b] = crc;
        }
        for (int k = 1; k < 8; k++)
        {
            tables[k] = new uint[256];
            for (int b = 0; b < 256; b++)
                tables[k][b] = (tables[k - 1][b] >> 8) ^ tables[0][tables[k - 1][b] & 0xFF];
        }
        return tables;
    }
}
