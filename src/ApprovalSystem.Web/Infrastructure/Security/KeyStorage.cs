using System.Security.Cryptography.X509Certificates;
using ApprovalSystem.Web.Data;
using Microsoft.AspNetCore.DataProtection;

namespace ApprovalSystem.Web.Infrastructure.Security;

/// <summary>
/// The Data Protection key ring (sign-in cookies, antiforgery tokens, Blazor's protected state) is kept in the database, under one
/// application name, so every node reads what another wrote (issue 17 item 2, decision 0042). The keys are encrypted at rest when
/// configured: <c>DataProtection:CertificatePath</c> (a PKCS#12 file with its private key, <c>DataProtection:CertificatePassword</c>)
/// on any system; on Windows <c>DataProtection:DpapiNgRule</c> (e.g. <c>SID=S-1-5-21-…</c> of a group all nodes' accounts are in)
/// or <c>DataProtection:Dpapi</c> = true (one machine only). With none of them the keys are stored as plain XML and Production
/// warns at start.
/// </summary>
public static partial class KeyStorage
{
    public const string ApplicationName = "ApprovalSystem";

    public static IServiceCollection AddSharedKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        var builder = services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<AppDbContext>();
        var protection = "none";
        if (configuration["DataProtection:CertificatePath"] is { Length: > 0 } path)
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration["DataProtection:CertificatePassword"]);
            builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
            protection = "certificate";
        }
        else if (OperatingSystem.IsWindows() && configuration["DataProtection:DpapiNgRule"] is { Length: > 0 } rule)
        {
            builder.ProtectKeysWithDpapiNG(rule, Microsoft.AspNetCore.DataProtection.XmlEncryption.DpapiNGProtectionDescriptorFlags.None);
            protection = "dpapi-ng";
        }
        else if (OperatingSystem.IsWindows() && configuration.GetValue<bool>("DataProtection:Dpapi"))
        {
            builder.ProtectKeysWithDpapi(protectToLocalMachine: true);
            protection = "dpapi";
        }

        services.AddHostedService(sp => new Warning(protection, sp.GetRequiredService<IHostEnvironment>(), sp.GetRequiredService<ILogger<Warning>>()));
        return services;
    }

    /// <summary>Says at start, in Production, that the key ring is not encrypted at rest.</summary>
    internal sealed partial class Warning(string protection, IHostEnvironment environment, ILogger<Warning> log) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (protection == "none" && environment.IsProduction())
            {
                Unencrypted(log);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "Data Protection keys are stored in the database UNENCRYPTED: set "
            + "DataProtection:CertificatePath (+ DataProtection:CertificatePassword), or on Windows DataProtection:DpapiNgRule, "
            + "so that a copy of the database does not give away the sign-in cookies' keys (decision 0042).")]
        private static partial void Unencrypted(ILogger logger);
    }
}
