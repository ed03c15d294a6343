using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Account;

/// <summary>Sign in with an account name, a resident ID number, a credit code or a mobile number.</summary>
public static class SignIn
{
    public sealed record Command(string Account, string Password);

    public sealed class Handler(UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn)
    {
        /// <summary>Returns null on success, otherwise the message to show.</summary>
        public async Task<string?> HandleAsync(Command command)
        {
            if (string.IsNullOrWhiteSpace(command.Account) || string.IsNullOrEmpty(command.Password))
            {
                return "请输入账号和密码";
            }

            var user = await FindAsync(command.Account.Trim());
            if (user is null)
            {
                return "账号或密码不正确";
            }

            var result = await signIn.PasswordSignInAsync(user, command.Password, isPersistent: false, lockoutOnFailure: true);
            if (result.IsLockedOut)
            {
                return "密码错误次数过多，账号已锁定5分钟，请稍后再试";
            }

            return result.Succeeded ? null : "账号或密码不正确";
        }

        private async Task<ApplicationUser?> FindAsync(string account)
        {
            var user = await users.FindByNameAsync(account);
            if (user is not null)
            {
                return user;
            }

            var upper = account.ToUpperInvariant();
            var matches = await users.Users.Where(u => u.IdNumber == upper || u.CreditCode == upper || u.PhoneNumber == account).Take(2).ToListAsync();
            return matches.Count == 1 ? matches[0] : null;
        }
    }
}
