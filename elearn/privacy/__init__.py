"""A learner's data rights: seeing and downloading their data, deleting their account,
retention (`elearn data purge`), and checking a certificate's verification code."""
