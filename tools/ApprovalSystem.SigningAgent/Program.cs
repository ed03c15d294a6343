namespace ApprovalSystem.SigningAgent;

/// <summary>
/// dotnet run --project tools/ApprovalSystem.SigningAgent -- --p12 data/certificates/enterprise.p12 --password Demo@2026
///   --origin https://localhost:5443 [--origin http://localhost:5000] [--port 18199] [--confirm]
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = Arguments.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine("用法：--p12 <证书文件.p12> [--password <口令>] --origin <本系统地址，如 https://localhost:5443> [--origin …] [--port 18199] [--confirm]");
            return 2;
        }

        var key = SigningKey.Load(options.P12, options.Password);
        Func<string, bool>? confirm = options.Confirm
            ? description =>
            {
                Console.Write($"{description}：用证书“{key.Certificate.SubjectDN}”签名？[y/N] ");
                return string.Equals(Console.ReadLine()?.Trim(), "y", StringComparison.OrdinalIgnoreCase);
            }
            : null;
        await using var app = Agent.Build(new AgentSettings(key, options.Origins, options.Port, confirm));
        await app.StartAsync();
        Console.WriteLine($"数字证书助手（参考实现）在 http://127.0.0.1:{options.Port} 运行，证书：{key.Certificate.SubjectDN}，允许的来源：{string.Join(", ", options.Origins)}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}

/// <summary>The command line.</summary>
internal sealed record Arguments(string P12, string? Password, IReadOnlyList<string> Origins, int Port, bool Confirm)
{
    public static Arguments? Parse(string[] args)
    {
        string? p12 = null, password = null;
        var origins = new List<string>();
        var port = 18199;
        var confirm = false;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--p12": p12 = value; i++; break;
                case "--password": password = value; i++; break;
                case "--origin" when value is not null: origins.Add(value); i++; break;
                case "--port" when int.TryParse(value, out var p): port = p; i++; break;
                case "--confirm": confirm = true; break;
                default: return null;
            }
        }

        return p12 is null || origins.Count == 0 ? null : new Arguments(p12, password, origins, port, confirm);
    }
}
