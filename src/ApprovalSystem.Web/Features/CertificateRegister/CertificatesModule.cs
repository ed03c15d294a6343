namespace ApprovalSystem.Web.Features.CertificateRegister;

/// <summary>The certificate register: revocation, cancellation and reprints of issued certificates.</summary>
public static class CertificatesModule
{
    public static IServiceCollection AddCertificates(this IServiceCollection services)
    {
        services.AddScoped<CertificateActs.Validator>();
        services.AddScoped<CertificateActs.Handler>();
        return services;
    }
}
