namespace ApprovalSystem.Web.Features.Certificates;

/// <summary>
/// Certificates 证照: issuing a case's certificate, the register (revocation, cancellation, reprints), the public
/// /verify page and the endpoints. The PDF is drawn by Documents/CertificateRenderer (types and number series in
/// Documents/CertificateTypes).
/// </summary>
public static class CertificatesModule
{
    public static IServiceCollection AddCertificates(this IServiceCollection services)
    {
        services.AddScoped<IssueCertificate.Handler>();
        services.AddScoped<CertificateActs.Validator>();
        services.AddScoped<CertificateActs.Handler>();
        services.AddScoped<CertificateQueries>();
        services.AddScoped<VerifyDocument.Handler>();
        return services;
    }

    public static IEndpointRouteBuilder MapCertificates(this IEndpointRouteBuilder app) => app.MapCertificatesApi();
}
