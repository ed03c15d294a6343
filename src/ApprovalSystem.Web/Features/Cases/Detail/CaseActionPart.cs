namespace ApprovalSystem.Web.Features.Cases.Detail;

/// <summary>A part of <see cref="CaseActionPanel"/>: the acts the case waits for, or the filer's optional ones (withdraw, rate, complain).</summary>
public enum CaseActionPart
{
    Acts,
    Optional,
}
